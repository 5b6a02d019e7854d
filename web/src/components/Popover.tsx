// A floating panel next to the element that opened it (menus, the emoji picker). It stays
// inside the viewport, closes on Esc or a click outside, and becomes a bottom sheet on phones.
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export function Popover({ anchor, onClose, children, label, role = 'dialog', className }: {
  anchor: HTMLElement | null; onClose: () => void; children: ReactNode; label: string; role?: 'dialog' | 'menu'; className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ top: number; left: number } | null>(null);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const r = anchor?.getBoundingClientRect() ?? { top: innerHeight / 2, bottom: innerHeight / 2, left: innerWidth / 2, right: innerWidth / 2 };
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    let top = r.bottom + 6;
    if (top + h > innerHeight - 8) top = Math.max(8, r.top - h - 6);
    let left = r.right - w;
    if (left < 8) left = Math.min(r.left, innerWidth - w - 8);
    setPos({ top, left: Math.max(8, left) });
  }, [anchor]);

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const down = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node) && !anchor?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', down);
    const first = ref.current?.querySelector<HTMLElement>('input, [role="menuitem"], button');
    first?.focus();
    return () => {
      document.removeEventListener('mousedown', down);
      if (ref.current?.contains(document.activeElement) || document.activeElement === document.body) before?.focus?.();
    };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
    if (role === 'menu' && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      const items = [...ref.current!.querySelectorAll<HTMLElement>('[role="menuitem"]')];
      const i = items.indexOf(document.activeElement as HTMLElement);
      const next = items[(i + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length];
      next?.focus();
    }
  };

  return createPortal(
    <div ref={ref} className={`popover${className ? ` ${className}` : ''}`} role={role} aria-label={label} onKeyDown={onKeyDown}
      style={pos ? { top: pos.top, left: pos.left } : { visibility: 'hidden', top: 0, left: 0 }}>
      {children}
    </div>,
    document.body,
  );
}

export function MenuItem({ onSelect, children, danger }: { onSelect: () => void; children: ReactNode; danger?: boolean }) {
  return (
    <button type="button" role="menuitem" className={danger ? 'menu-item menu-item--danger' : 'menu-item'} onClick={onSelect}>
      {children}
    </button>
  );
}
