// A DOM small enough to read: just what the runtime's morph and the island runtime touch,
// with the live/markup split of form controls (typing changes `.value`, not the `value`
// attribute).

class Node {
  constructor(nodeType, nodeName) {
    this.nodeType = nodeType;
    this.nodeName = nodeName;
    this.parentNode = null;
    this.childNodes = [];
  }

  get firstChild() {
    return this.childNodes[0] || null;
  }

  get nextSibling() {
    if (!this.parentNode) return null;
    const siblings = this.parentNode.childNodes;
    return siblings[siblings.indexOf(this) + 1] || null;
  }

  insertBefore(node, reference) {
    if (node.nodeType === 11) {
      for (const child of [...node.childNodes]) this.insertBefore(child, reference);
      return node;
    }
    if (node.parentNode) node.parentNode.removeChild(node);
    const index = reference ? this.childNodes.indexOf(reference) : this.childNodes.length;
    if (index < 0) throw new Error("insertBefore: the reference is not a child");
    this.childNodes.splice(index, 0, node);
    node.parentNode = this;
    return node;
  }

  appendChild(node) {
    return this.insertBefore(node, null);
  }

  removeChild(node) {
    const index = this.childNodes.indexOf(node);
    if (index < 0) throw new Error("removeChild: not a child");
    this.childNodes.splice(index, 1);
    node.parentNode = null;
    return node;
  }

  replaceChild(node, old) {
    this.insertBefore(node, old);
    return this.removeChild(old);
  }

  replaceChildren(...nodes) {
    for (const child of [...this.childNodes]) this.removeChild(child);
    for (const node of nodes) this.appendChild(node);
  }

  replaceWith(node) {
    this.parentNode.replaceChild(node, this);
  }

  /** In a tree whose root is a `page()`. */
  get isConnected() {
    let node = this;
    while (node.parentNode) node = node.parentNode;
    return node.isPage === true;
  }

  /** Only `[name]` selectors: the elements below that have the attribute, in document order. */
  querySelectorAll(selector) {
    const name = /^\[([\w-]+)\]$/.exec(selector)[1];
    const found = [];
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === 1 && child.hasAttribute(name)) found.push(child);
        walk(child);
      }
    };
    walk(this);
    return found;
  }

  get textContent() {
    return this.childNodes.map((child) => child.textContent).join("");
  }

  set textContent(text) {
    for (const child of [...this.childNodes]) this.removeChild(child);
    if (text) this.appendChild(new Text(text));
  }

  get outerHTML() {
    return this.childNodes.map((child) => child.outerHTML).join("");
  }
}

class Text extends Node {
  constructor(value, comment = false) {
    super(comment ? 8 : 3, comment ? "#comment" : "#text");
    this.nodeValue = value;
  }

  get textContent() {
    return this.nodeValue;
  }

  cloneNode() {
    return new Text(this.nodeValue, this.nodeType === 8);
  }

  get outerHTML() {
    return this.nodeType === 8 ? `<!--${this.nodeValue}-->` : this.nodeValue;
  }
}

class Element extends Node {
  constructor(tag) {
    super(1, tag.toUpperCase());
    this.attributeMap = new Map();
    this.dirty = {}; // live state set by a person (or a script), as in a real DOM
  }

  cloneNode(deep) {
    const copy = new Element(this.nodeName.toLowerCase());
    for (const [name, value] of this.attributeMap) copy.setAttribute(name, value);
    if (deep) for (const child of this.childNodes) copy.appendChild(child.cloneNode(true));
    return copy;
  }

  get attributes() {
    return [...this.attributeMap].map(([name, value]) => ({ name, value }));
  }

  getAttribute(name) {
    return this.attributeMap.has(name) ? this.attributeMap.get(name) : null;
  }

  setAttribute(name, value) {
    this.attributeMap.set(name, String(value));
  }

  removeAttribute(name) {
    this.attributeMap.delete(name);
  }

  hasAttribute(name) {
    return this.attributeMap.has(name);
  }

  get id() {
    return this.getAttribute("id") || "";
  }

  get value() {
    if ("value" in this.dirty) return this.dirty.value;
    return this.nodeName === "TEXTAREA" ? this.textContent : this.getAttribute("value") || "";
  }

  set value(value) {
    this.dirty.value = value;
  }

  get checked() {
    return "checked" in this.dirty ? this.dirty.checked : this.hasAttribute("checked");
  }

  set checked(value) {
    this.dirty.checked = value;
  }

  get outerHTML() {
    const tag = this.nodeName.toLowerCase();
    const attributes = this.attributes.map(({ name, value }) => ` ${name}="${value}"`).join("");
    return `<${tag}${attributes}>${super.outerHTML}</${tag}>`;
  }
}

class Fragment extends Node {
  constructor() {
    super(11, "#document-fragment");
  }
}

/** h("div", {id: "x"}, "text", h("p")): an element; strings become text nodes. */
export function h(tag, attributes = {}, ...children) {
  const element = new Element(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) {
    element.appendChild(typeof child === "string" ? new Text(child) : child);
  }
  return element;
}

/** A fragment of nodes, as the runtime gets from parsing new markup. */
export function fragment(...children) {
  const result = new Fragment();
  for (const child of children) {
    result.appendChild(typeof child === "string" ? new Text(child) : child);
  }
  return result;
}

export const comment = (text) => new Text(text, true);

/** A document body: the nodes in it (and below) are connected. */
export function page(...children) {
  const body = h("body", {}, ...children);
  body.isPage = true;
  return body;
}
