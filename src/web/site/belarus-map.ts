/**
 * A map of Belarus drawn on the server as SVG from the registry's own coordinates: no tile server and
 * no request to anyone else, so a visitor's reading is not reported to a third party. Places are
 * circles whose area grows with the number given; the caller gives the title and description and puts
 * the same figures in a table beside it.
 */
import { html, type Html } from './html.js';

/**
 * The state border of Belarus as [longitude, latitude], clockwise from the Latvian–Lithuanian tripoint.
 * APPROXIMATE: about fifty points drawn from public geography (border tripoints, border towns and
 * rivers), good for a small overview map and nothing else.
 */
export const BELARUS_OUTLINE: readonly (readonly [number, number])[] = [
  // Latvia
  [26.63, 55.67], [27.0, 55.83], [27.6, 55.79], [28.15, 56.17],
  // Russia
  [28.7, 56.05], [29.4, 55.95], [30.0, 55.87], [30.5, 55.72], [30.9, 55.6], [30.95, 55.3], [31.0, 55.05],
  [31.05, 54.8], [31.15, 54.6], [31.35, 54.35], [31.8, 54.15], [32.05, 53.95], [32.3, 53.75], [32.55, 53.6],
  [32.75, 53.4], [32.65, 53.15], [32.3, 53.0], [32.0, 52.85], [31.65, 52.6], [31.7, 52.35], [31.78, 52.1],
  // Ukraine
  [31.2, 51.98], [30.8, 51.75], [30.6, 51.5], [30.55, 51.26], [30.2, 51.45], [29.7, 51.47], [29.3, 51.42],
  [28.9, 51.55], [28.3, 51.55], [27.7, 51.6], [27.2, 51.63], [26.7, 51.72], [26.1, 51.85], [25.6, 51.92],
  [25.0, 51.92], [24.4, 51.88], [24.1, 51.65], [23.62, 51.5],
  // Poland
  [23.6, 51.8], [23.62, 52.1], [23.18, 52.3], [23.5, 52.6], [23.9, 52.75], [23.92, 53.1], [23.9, 53.35],
  [23.6, 53.6], [23.5, 53.94],
  // Lithuania
  [24.0, 53.93], [24.5, 53.98], [25.0, 54.15], [25.5, 54.2], [25.75, 54.45], [25.8, 54.8], [26.2, 54.95],
  [26.5, 55.15], [26.8, 55.3],
];

export interface MapPlace {
  lat: number;
  lon: number;
  value: number;
  /** Shown when the pointer rests on the circle. */
  label: string;
}

const SCALE = 100;
const MARGIN = 16;
const WEST = Math.min(...BELARUS_OUTLINE.map(([lon]) => lon));
const EAST = Math.max(...BELARUS_OUTLINE.map(([lon]) => lon));
const SOUTH = Math.min(...BELARUS_OUTLINE.map(([, lat]) => lat));
const NORTH = Math.max(...BELARUS_OUTLINE.map(([, lat]) => lat));
// An equirectangular projection true to scale at the country's middle latitude: simple and, across a
// country this size, close enough to a conformal one.
const SHRINK = Math.cos((((NORTH + SOUTH) / 2) * Math.PI) / 180);
const WIDTH = Math.round((EAST - WEST) * SHRINK * SCALE + 2 * MARGIN);
const HEIGHT = Math.round((NORTH - SOUTH) * SCALE + 2 * MARGIN);
const MAX_RADIUS = 28;
const MIN_RADIUS = 4;

const round = (n: number) => Math.round(n * 10) / 10;

export function project(lon: number, lat: number): [number, number] {
  return [round(MARGIN + (lon - WEST) * SHRINK * SCALE), round(MARGIN + (NORTH - lat) * SCALE)];
}

/** Whether a coordinate pair lies inside the map's frame (a typo such as swapped lat/lon does not). */
export function onMap(lat: number | null, lon: number | null): boolean {
  return lat !== null && lon !== null && lon >= WEST - 0.5 && lon <= EAST + 0.5 && lat >= SOUTH - 0.5 && lat <= NORTH + 0.5;
}

export function belarusMap(places: readonly MapPlace[], title: string, description: string): Html {
  const outline = BELARUS_OUTLINE.map(([lon, lat]) => project(lon, lat).join(',')).join(' ');
  const max = Math.max(1, ...places.map((place) => place.value));
  // Larger circles first, so a small place at the same spot stays visible on top.
  const circles = [...places]
    .filter((place) => onMap(place.lat, place.lon) && place.value > 0)
    .sort((a, b) => b.value - a.value)
    .map((place) => {
      const [x, y] = project(place.lon, place.lat);
      const r = round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * Math.sqrt(place.value / max));
      return html`<circle cx="${x}" cy="${y}" r="${r}"><title>${place.label}</title></circle>`;
    });
  return html`<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="map-title map-desc" focusable="false">
<title id="map-title">${title}</title><desc id="map-desc">${description}</desc>
<polygon class="border" points="${outline}"/>
${circles}
</svg>`;
}
