/** The device's current position on request (navigator.geolocation), with the reason when it is not available. */
import { useCallback, useState } from 'react';

export type GeoStatus = 'idle' | 'locating' | 'ok' | 'denied' | 'unavailable';

export interface Geo {
  status: GeoStatus;
  position: { lon: number; lat: number; accuracyM: number } | null;
  locate(): void;
}

export function useGeolocation(): Geo {
  const [status, setStatus] = useState<GeoStatus>('idle');
  const [position, setPosition] = useState<Geo['position']>(null);
  const locate = useCallback(() => {
    if (!('geolocation' in navigator)) {
      setStatus('unavailable');
      return;
    }
    setStatus('locating');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setPosition({ lon: p.coords.longitude, lat: p.coords.latitude, accuracyM: p.coords.accuracy });
        setStatus('ok');
      },
      (err) => setStatus(err.code === err.PERMISSION_DENIED ? 'denied' : 'unavailable'),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }, []);
  return { status, position, locate };
}
