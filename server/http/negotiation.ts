/**
 * The values an Accept or Accept-Encoding header takes (RFC 9110 12.5): lower-cased, parameters dropped, and
 * without those refused with q=0. `*` and `type/*` stay as written: what they cover is the caller's choice.
 */
export function acceptedValues(header: string | string[] | undefined): Set<string> {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const accepted = new Set<string>();
  for (const part of text.split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((each) => /^\s*q=([\d.]+)\s*$/.exec(each)?.[1]).find((value) => value !== undefined);
    if (name && (q === undefined || Number(q) > 0)) accepted.add(name.trim());
  }
  return accepted;
}
