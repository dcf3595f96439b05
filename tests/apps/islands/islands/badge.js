const log = (entry) => (window.__log = window.__log || []).push(entry);

export function mount(element, props) {
  element.dataset.mounts = String(Number(element.dataset.mounts || 0) + 1);
  element.textContent = `badge ${props.n}`;
  log(`mount badge ${props.n}`);
  return () => log(`cleanup badge ${props.n}`);
}

export function update(element, props) {
  element.textContent = `badge ${props.n}`;
  log(`update badge ${props.n}`);
}
