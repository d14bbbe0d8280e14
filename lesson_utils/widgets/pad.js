// The drawing pad's browser side: an ES module for anywidget (lesson_utils/widgets/pad.py).
// Ink is the canvas's alpha (0 = background), sent to Python as size x size bytes when a
// stroke ends; a "clear" message from Python wipes the canvas.
// By keyboard: Tab to the pad, the arrow keys move the pen (a ring), Space puts it down
// or lifts it (lifting ends the stroke), Enter or Escape lifts it.
const KEYBOARD_HELP =
  "Drawing pad for a digit. Draw with the mouse, or with the keyboard: the arrow keys " +
  "move the pen, Space puts it down or lifts it, Enter lifts it.";

function render({ model, el }) {
  const size = model.get("size");
  const frame = document.createElement("div");
  frame.style.cssText = `position:relative;width:${size + 2}px;height:${size + 2}px`;
  const canvas = document.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  canvas.className = "lesson-pad";
  canvas.style.cssText =
    "border:1px solid #888;background:#fff;touch-action:none;cursor:crosshair";
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute("aria-roledescription", "drawing pad");
  canvas.setAttribute("aria-label", KEYBOARD_HELP);
  canvas.title = KEYBOARD_HELP;
  const pen = document.createElement("div"); // where the keyboard's pen is
  pen.className = "lesson-pad-pen";
  const ctx = canvas.getContext("2d");
  let last = null;
  const at = (e) => {
    const box = canvas.getBoundingClientRect();
    return [((e.clientX - box.left) * size) / box.width,
            ((e.clientY - box.top) * size) / box.height];
  };
  const line = (from, to) => {
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.lineWidth = model.get("stroke");
    ctx.strokeStyle = "#000";
    ctx.beginPath();
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(to[0], to[1]);
    ctx.stroke();
  };
  const send = () => {
    const rgba = ctx.getImageData(0, 0, size, size).data;
    const ink = new Uint8Array(size * size);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3];
    model.set("drawing", new DataView(ink.buffer));
    model.save_changes();
  };
  canvas.addEventListener("pointerdown", (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    line(last, last);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (last === null) return;
    const here = at(e);
    line(last, here);
    last = here;
  });
  const end = () => {
    if (last === null) return;
    last = null;
    send();
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);

  // The keyboard's pen: a ring over the canvas, down (filled) or up.
  let penAt = [size / 2, size / 2];
  let penDown = false;
  const step = size / 20;
  const showPen = () => {
    const r = model.get("stroke") / 2;
    pen.style.cssText =
      `position:absolute;left:${penAt[0] + 1 - r}px;top:${penAt[1] + 1 - r}px;` +
      `width:${2 * r}px;height:${2 * r}px;border-radius:50%;pointer-events:none;` +
      `box-sizing:border-box;border:2px solid #0b4a7a;` +
      `background:${penDown ? "rgba(11,74,122,0.35)" : "transparent"};` +
      `display:${document.activeElement === canvas ? "block" : "none"}`;
  };
  const lift = () => {
    if (!penDown) return;
    penDown = false;
    send();
  };
  const moves = {
    ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1],
  };
  canvas.addEventListener("keydown", (e) => {
    if (e.key in moves) {
      const [dx, dy] = moves[e.key];
      const to = [Math.min(size, Math.max(0, penAt[0] + dx * step)),
                  Math.min(size, Math.max(0, penAt[1] + dy * step))];
      if (penDown) line(penAt, to);
      penAt = to;
    } else if (e.key === " ") {
      if (penDown) {
        lift();
      } else {
        penDown = true;
        line(penAt, penAt);
      }
    } else if (e.key === "Enter" || e.key === "Escape") {
      lift();
    } else {
      return;
    }
    e.preventDefault();
    e.stopPropagation(); // keep JupyterLab's own shortcuts out of the pad
    showPen();
  });
  canvas.addEventListener("focus", showPen);
  canvas.addEventListener("blur", () => {
    lift();
    showPen();
  });
  model.on("msg:custom", (msg) => {
    if (msg.type === "clear") ctx.clearRect(0, 0, size, size);
  });
  frame.append(canvas, pen);
  el.appendChild(frame);
}
export default { render };
