// Content-Disposition with a file name: RFC 6266 / 5987, an ASCII fallback and the exact UTF-8
// name (Cyrillic file names are common).
export function disposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_');
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
