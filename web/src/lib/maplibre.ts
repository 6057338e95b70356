/**
 * MapLibre for every map of the web app: the library itself, re-exported, with
 * its web worker's URL set. MapLibre 6 looks for its worker beside its own file,
 * which the bundle does not keep, so a bundled build must hand it the URL Vite
 * emits for the worker. Import map code from here, never from 'maplibre-gl'.
 */
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';

setWorkerUrl(workerUrl);

export * from 'maplibre-gl';
