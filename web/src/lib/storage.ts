// localStorage that never throws (private mode, quota) and namespaces keys per user.
export function load<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(`parley:${key}`);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

export function save(key: string, value: unknown): void {
  try {
    if (value === undefined || value === null || value === '') localStorage.removeItem(`parley:${key}`);
    else localStorage.setItem(`parley:${key}`, JSON.stringify(value));
  } catch {
    /* storage full or disabled: drafts are a convenience */
  }
}
