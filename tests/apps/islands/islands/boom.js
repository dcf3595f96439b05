export function mount(element) {
  element.textContent = "half-mounted";
  throw new Error("the widget broke");
}
