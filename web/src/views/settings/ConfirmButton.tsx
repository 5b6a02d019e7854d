// A destructive button that asks once more in place ("Sign out? Yes / No") instead of a
// blocking browser dialog.
import { useState } from 'react';

export function ConfirmButton({ label, confirmLabel, onConfirm, ariaLabel, className = 'btn btn--small btn--danger-text' }: {
  label: string; confirmLabel: string; onConfirm: () => void | Promise<void>; ariaLabel?: string; className?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) return <button type="button" className={className} aria-label={ariaLabel} onClick={() => setAsking(true)}>{label}</button>;
  return (
    <span className="confirm-inline" role="group" aria-label={ariaLabel ?? label}>
      <button type="button" className="btn btn--small btn--danger" autoFocus onClick={() => { setAsking(false); void onConfirm(); }}>{confirmLabel}</button>
      <button type="button" className="btn btn--small" onClick={() => setAsking(false)}>Keep</button>
    </span>
  );
}
