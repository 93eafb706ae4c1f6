/**
 * The POST forms on a rendered page, read with the few patterns our EJS views use, so a test
 * can send each form back as a browser would (with one field changed).
 */

export interface PageForm {
  action: string;
  /** Every named field with the values a browser would send (checked boxes, selected options). */
  fields: Record<string, string[]>;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#34;': '"', '&quot;': '"', '&#39;': "'" };
const decode = (text: string): string => text.replace(/&(?:amp|lt|gt|quot|#34|#39);/g, (entity) => ENTITIES[entity]!);

function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const match of tag.matchAll(/([a-zA-Z_:][\w:.-]*)(?:="([^"]*)")?/g)) attrs[match[1]!.toLowerCase()] = decode(match[2] ?? '');
  return attrs;
}

function fieldsOf(html: string): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  const add = (name: string | undefined, value: string) => {
    if (name) (fields[name] ??= []).push(value);
  };
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    const a = attributes(tag);
    if ((a.type === 'checkbox' || a.type === 'radio') && !('checked' in a) && fields[a.name!]) continue;
    if (a.type === 'file') continue;
    add(a.name, a.value ?? (a.type === 'checkbox' ? 'on' : ''));
  }
  for (const match of html.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) add(attributes(match[1]!).name, decode(match[2]!));
  for (const match of html.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const options = [...match[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attributes(o[1]!));
    const chosen = options.find((o) => 'selected' in o) ?? options.find((o) => o.value) ?? options[0];
    add(attributes(match[1]!).name, chosen?.value ?? '');
  }
  // The first named button: many forms tell their buttons apart by name="action".
  const button = [...html.matchAll(/<button\b([^>]*)>/g)].map((b) => attributes(b[1]!)).find((b) => b.name);
  if (button && !fields[button.name!]) add(button.name, button.value ?? '');
  return fields;
}

export function postFormsOf(html: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const a = attributes(match[1]!);
    if ((a.method ?? 'get').toLowerCase() !== 'post' || !a.action) continue;
    forms.push({ action: a.action, fields: fieldsOf(match[2]!) });
  }
  return forms;
}

/** A form's fields as a browser encodes them (a list is the same name repeated). */
export function encodeFields(fields: Record<string, string[]>): string {
  const params = new URLSearchParams();
  for (const [name, values] of Object.entries(fields)) for (const value of values) params.append(name, value);
  return params.toString();
}
