/** Grows a textarea with its text, up to a limit (then it scrolls). */
export function autosize(el: HTMLTextAreaElement, max = Math.round(window.innerHeight * 0.4)): void {
  el.style.height = 'auto';
  el.style.height = `${Math.min(el.scrollHeight + 2, max)}px`;
}
