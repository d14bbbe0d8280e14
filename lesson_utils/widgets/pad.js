// The drawing pad's browser side: an ES module for anywidget (lesson_utils/widgets/pad.py).
// Ink is the canvas's alpha (0 = background), sent to Python as size x size bytes when a
// stroke ends; a "clear" message from Python wipes the canvas.
function render({ model, el }) {
  const size = model.get("size");
  const canvas = document.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  canvas.className = "lesson-pad";
  canvas.style.cssText =
    "border:1px solid #888;background:#fff;touch-action:none;cursor:crosshair";
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
  model.on("msg:custom", (msg) => {
    if (msg.type === "clear") ctx.clearRect(0, 0, size, size);
  });
  el.appendChild(canvas);
}
export default { render };
