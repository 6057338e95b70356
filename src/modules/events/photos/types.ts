/** Event photos (SPEC E1): the photo record and the file store seam its bytes live behind. */
import type { PhotoType } from './strip.logic.js';

export const PHOTO_STAGES = ['report', 'result'] as const;
/** report: taken when reporting the problem; result: a handler's proof of the work done. */
export type PhotoStage = (typeof PHOTO_STAGES)[number];

export interface Photo {
  id: string;
  eventId: string;
  stage: PhotoStage;
  contentType: PhotoType;
  /** Size of the original as uploaded. */
  bytes: number;
  /** Size of the copy without location metadata (what the public sees). */
  publicBytes: number;
  uploaderId: string;
  createdAt: number;
}

/** Where photo bytes live; keys are ids CityOps makes, never names a user sent. */
export interface FileStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes, or null when there is no such key. */
  get(key: string): Promise<Buffer | null>;
  /** Removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}
