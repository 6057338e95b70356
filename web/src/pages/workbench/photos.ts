/** Event photos: upload (the API takes the raw image, not multipart) and fetch for display (the image routes need the session header). */
import { api, apiToken } from '../../api/client.js';

export const PHOTO_TYPES = 'image/jpeg,image/png,image/webp';

export function uploadPhoto(eventId: string, file: Blob, stage: 'report' | 'result'): Promise<{ id: string; url: string }> {
  return api(`/api/v1/events/${encodeURIComponent(eventId)}/photos`, { method: 'POST', raw: file, query: { stage } });
}

/** An object URL for a protected image; the caller revokes it. */
export async function photoObjectUrl(url: string, signal?: AbortSignal): Promise<string> {
  const token = apiToken();
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return URL.createObjectURL(await res.blob());
}
