/** Hands text made in the app (a template, a file of bad rows) to the user as a downloaded file. */
export function downloadText(fileName: string, content: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([content], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; the object URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
