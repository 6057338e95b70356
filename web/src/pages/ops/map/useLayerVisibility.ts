/** Show or hide the map layers of each switchable group. */
import type { Map as MlMap } from 'maplibre-gl';
import { useEffect } from 'react';
import { LAYER_GROUPS, type LayerGroup } from './style.js';

export function useLayerVisibility(map: MlMap | null, visible: Record<LayerGroup, boolean>): void {
  useEffect(() => {
    if (!map) return;
    for (const [group, ids] of Object.entries(LAYER_GROUPS) as Array<[LayerGroup, readonly string[]]>) {
      for (const id of ids) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible[group] ? 'visible' : 'none');
    }
  }, [map, visible]);
}
