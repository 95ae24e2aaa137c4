// DOM building without HTML parsing: API data only ever reaches the page as text nodes.

const SVG_NS = "http://www.w3.org/2000/svg";

function apply(el, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "text") el.textContent = String(value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key in el && !(el instanceof SVGElement) && key !== "list") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** h("p", {className: "x"}, "text", otherNode) */
export function h(tag, props, ...children) {
  return append(apply(document.createElement(tag), props), children);
}

/** The same for SVG elements (charts). */
export function s(tag, props, ...children) {
  return append(apply(document.createElementNS(SVG_NS, tag), props), children);
}

export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export function rupiah(n) {
  return "Rp" + Number(n || 0).toLocaleString("id-ID");
}

export function when(iso, lang) {
  if (!iso) return "—";
  const d = new Date(iso);
  return d.toLocaleString(lang === "en" ? "en-GB" : "id-ID", { dateStyle: "medium", timeStyle: "short" });
}

export function section(title, ...children) {
  const id = "s-" + Math.random().toString(36).slice(2, 8);
  return h("section", { className: "card", "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

/** A labelled form control; `input` is an element built by the caller. */
export function field(label, input, hint) {
  input.id = input.id || "f-" + (input.name || Math.random().toString(36).slice(2, 8));
  const error = h("p", { className: "field-error", id: input.id + "-error", hidden: true });
  input.setAttribute("aria-describedby", error.id);
  return h("div", { className: "field", dataset: { field: input.name || "" } },
    h("label", { htmlFor: input.id }, label), hint ? h("p", { className: "hint" }, hint) : null, input, error);
}

/** Show an API field problem under its control (or clear all of them). */
export function showFieldError(form, name, message) {
  const box = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (!box) return false;
  const error = box.querySelector(".field-error");
  const control = box.querySelector("input, select, textarea");
  error.textContent = message;
  error.hidden = false;
  control.setAttribute("aria-invalid", "true");
  return true;
}

export function clearFieldErrors(form) {
  for (const e of form.querySelectorAll(".field-error")) { e.hidden = true; e.textContent = ""; }
  for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
}

export function announce(message) {
  document.getElementById("live").textContent = message;
}

export function errorBox(message) {
  return h("p", { className: "error", role: "alert" }, message);
}
