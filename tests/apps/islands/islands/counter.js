import { format } from "./vendor/format.js";

const log = (entry) => (window.__log = window.__log || []).push(entry);

export function mount(element, props, context) {
  let count = props.start;
  element.innerHTML = '<button type="button"></button><input id="typed">';
  const button = element.querySelector("button");
  const show = () => (button.textContent = format(props.label, count));
  button.addEventListener("click", () => {
    count += 1;
    show();
  });
  show();
  log(`mount ${context.name} ${props.start}`);
  return () => {
    log(`cleanup ${context.name} ${props.start}`);
    document.body.dataset.cleaned = String(props.start);
  };
}
