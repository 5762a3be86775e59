import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../shared/api';
import { uploadPhoto, type UploadedPhoto } from './api';

export interface PickedPhoto extends UploadedPhoto {
  preview: string;
}

/**
 * Photos from the phone camera or the gallery (`<input type=file accept="image/*" capture>`),
 * uploaded at once to `/work-orders/photos`; the form sends their ids. Plain HTML so it works the
 * same in the antd console, the technician's phone view and the antd-mobile portal.
 */
export function PhotoPicker({
  value,
  onChange,
  max = 6,
  id,
  onError,
}: {
  value?: PickedPhoto[];
  onChange?: (v: PickedPhoto[]) => void;
  max?: number;
  id?: string;
  onError?: (msg: string) => void;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(0);
  const list = value ?? [];

  const add = async (files: FileList | null) => {
    if (!files) return;
    let next = [...list];
    for (const f of Array.from(files).slice(0, max - list.length)) {
      setBusy((n) => n + 1);
      try {
        const p = await uploadPhoto(f);
        next = [...next, { ...p, preview: URL.createObjectURL(f) }];
        onChange?.(next);
      } catch (e) {
        onError?.(errorMessage(e));
      } finally {
        setBusy((n) => n - 1);
      }
    }
    if (input.current) input.current.value = '';
  };

  return (
    <div className="photo-picker">
      {list.map((p) => (
        <figure key={p.id} className="photo-thumb">
          <img src={p.preview} alt={p.name} />
          <button type="button" aria-label={t('photos.removeOf', { name: p.name })} onClick={() => onChange?.(list.filter((x) => x.id !== p.id))}>
            ×
          </button>
        </figure>
      ))}
      {list.length < max && (
        <label className="photo-add">
          <input
            ref={input}
            id={id}
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            aria-label={t('photos.add')}
            onChange={(e) => void add(e.target.files)}
            className="visually-hidden"
          />
          <span aria-hidden>＋</span>
          <span>{busy ? t('photos.uploading') : t('photos.add')}</span>
        </label>
      )}
    </div>
  );
}

/** Thumbnails of stored photos; a click opens the full image. */
export function PhotoStrip({ urls }: { urls: string[] }) {
  const { t } = useTranslation();
  if (!urls.length) return null;
  return (
    <div className="photo-picker">
      {urls.map((u, i) => (
        <a key={u} href={u} target="_blank" rel="noreferrer" className="photo-thumb">
          <img src={u} alt={t('photos.nth', { n: i + 1 })} />
        </a>
      ))}
    </div>
  );
}
