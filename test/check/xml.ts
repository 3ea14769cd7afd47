/**
 * A strict little XML reader for tests: elements, attributes, text, the five named entities and
 * character references. Throws on anything malformed (unclosed or mismatched tags, a bare & or <,
 * duplicate attributes, text outside the root), so a test passing means the JUnit file is well formed.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = "[A-Za-z_][\\w.-]*";
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(s: string, where: string): string {
  if (/<|&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(s)) throw new Error(`bad character data ${JSON.stringify(s)} in ${where}`);
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_, e: string) =>
    e.startsWith("#x") ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e]!,
  );
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/.exec(xml);
  if (!decl) throw new Error("missing XML declaration");
  i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const tag = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}="[^"]*")*)\\s*(/?)>`, "y");
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text.trim() !== "") {
      const top = stack[stack.length - 1];
      if (!top) throw new Error(`text outside the root element: ${JSON.stringify(text)}`);
      top.text += decode(text, top.name);
    }
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (!m) throw new Error(`malformed tag at offset ${lt}: ${JSON.stringify(xml.slice(lt, lt + 40))}`);
    const [, close, name, attrs, selfClose] = m;
    i = tag.lastIndex;
    if (close) {
      const open = stack.pop();
      if (!open || open.name !== name || attrs || selfClose) throw new Error(`</${name}> does not close ${open?.name ?? "anything"}`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const a of attrs!.matchAll(new RegExp(`(${NAME})="([^"]*)"`, "g"))) {
      if (a[1]! in attributes) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
      attributes[a[1]!] = decode(a[2]!, `${name}@${a[1]}`);
    }
    const element: XmlElement = { name: name!, attributes, children: [], text: "" };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (root) throw new Error("more than one root element");
    else root = element;
    if (!selfClose) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new Error("no root element");
  return root;
}
