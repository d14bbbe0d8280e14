// An accessible slider's browser side: an ES module for anywidget (lesson_utils/widgets/slider.py).
// A native <input type="range">: the keyboard moves it (arrow keys by one step, Home and
// End to the ends), and a screen reader reads its name (aria-label) and its value.
function render({ model, el }) {
  const row = document.createElement("div");
  row.className = "lesson-slider";
  row.style.cssText = "display:flex;align-items:center;gap:0.5em;margin:2px 0";
  const name = document.createElement("span");
  name.style.cssText = "min-width:5.5em;text-align:right";
  const input = document.createElement("input");
  input.type = "range";
  input.style.cssText = "width:11em";
  const readout = document.createElement("output");
  readout.style.cssText = "min-width:3.5em;font-variant-numeric:tabular-nums";
  const decimals = () => {
    const match = /\.(\d+)f/.exec(model.get("readout_format"));
    return match ? Number(match[1]) : 0;
  };
  const show = () => {
    name.textContent = model.get("description");
    input.setAttribute("aria-label", model.get("description"));
    input.title = model.get("tooltip");
    input.min = model.get("min");
    input.max = model.get("max");
    input.step = model.get("step");
    input.value = model.get("value");
    const text = Number(model.get("value")).toFixed(decimals());
    readout.textContent = text;
    input.setAttribute("aria-valuetext", text);
  };
  // JupyterLab's shortcuts would take the arrow keys (and prevent their default): the
  // slider keeps them, as ipywidgets' own inputs keep theirs.
  input.addEventListener("keydown", (e) => e.stopPropagation());
  input.addEventListener("input", () => {
    model.set("value", Number(input.value));
    model.save_changes();
  });
  for (const trait of ["value", "min", "max", "step", "description", "tooltip"]) {
    model.on(`change:${trait}`, show);
  }
  show();
  row.append(name, input, readout);
  el.appendChild(row);
}
export default { render };
