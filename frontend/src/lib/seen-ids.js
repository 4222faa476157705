/**
 * The most recent ids seen, at most `capacity` of them (the oldest are forgotten first): enough
 * to recognise an event delivered again after a reconnect without growing for ever.
 */
export class SeenIds {
  #ids = new Set();

  constructor(capacity) {
    this.capacity = capacity;
  }

  /** Remembers `id`; returns false if it was seen already. */
  add(id) {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.capacity) this.#ids.delete(this.#ids.values().next().value);
    return true;
  }
}
