/**
 * Speaks a sentence aloud (the patient may not read the screen well, or wears the headset):
 * game instructions and the entry page's errors alike. Without a speech engine it stays silent.
 */
export function speak(text: string): void {
  if (typeof speechSynthesis === 'undefined') return;
  speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.rate = 0.9;
  speechSynthesis.speak(utterance);
}
