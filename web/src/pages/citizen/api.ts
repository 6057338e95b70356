/** The calls the citizen portal makes: report, add a photo, similar reports, follow, track, my reports, rate. */
import { api } from '../../api/client.js';

export interface PublicTimelineEntry { at: string; action: string; fromState: string | null; toState: string; note: string | null }
export interface Tracked { trackingCode: string; category: string; state: string; createdAt: string; updatedAt: string; deadlineAt: string | null; rating: number | null; timeline: PublicTimelineEntry[] }
export interface MyEvent { id: string; trackingCode: string; category: string; text: string; state: string; version: number; address: string | null; rating: number | null; createdAt: string; updatedAt: string }
export interface Similar { id: string; trackingCode: string; state: string; distanceM: number }
export interface ReportInput { text: string; location?: [number, number]; address?: string }

export const reportProblem = (r: ReportInput, idempotencyKey: string) =>
  api<MyEvent>('/api/v1/events', { method: 'POST', body: { text: r.text, channel: 'app', ...(r.location ? { location: { type: 'Point', coordinates: r.location } } : {}), ...(r.address ? { address: r.address } : {}) }, headers: { 'idempotency-key': idempotencyKey } });

export const addPhoto = (eventId: string, photo: File) => api<{ id: string; url: string }>(`/api/v1/events/${encodeURIComponent(eventId)}/photos`, { method: 'POST', raw: photo });

export const similarReports = (eventId: string) => api<{ items: Similar[] }>(`/api/v1/events/${encodeURIComponent(eventId)}/similar`);

export const followReport = (eventId: string, into: string) =>
  api<{ trackingCode: string; following: { trackingCode: string; state: string } }>(`/api/v1/events/${encodeURIComponent(eventId)}/follow`, { method: 'POST', body: { into } });

export const track = (code: string) => api<Tracked>(`/api/v1/track/${encodeURIComponent(code.trim().toUpperCase())}`);

export const myReports = () => api<{ items: MyEvent[]; total: number }>('/api/v1/events', { query: { queue: 'mine', limit: 50 } });

export const rate = (e: MyEvent, rating: number, comment: string) =>
  api<MyEvent>(`/api/v1/events/${encodeURIComponent(e.id)}/actions`, { method: 'POST', body: { action: 'rate', expectedVersion: e.version, rating, ...(comment ? { comment } : {}) } });
