// Real facility names (letters and visits are addressed to them), with approximate city coordinates.
// Addresses are placeholders on purpose: a wrong postal address in a demo could be copied into real casework.
import type { FacilityRow, FacilityType, Region } from './rows.js';

export interface Facility {
  name: string;
  type: FacilityType;
  region: Region;
  lat: number;
  lon: number;
}

export const DEMO_ADDRESS = 'Demo address — verify before use';

export const AKRESTSINA = 'Akrestsina detention centre';
export const KGB_SIZO = 'KGB SIZO Minsk';

export const FACILITIES: readonly Facility[] = [
  { name: AKRESTSINA, type: 'temporary_detention', region: 'Minsk city', lat: 53.869, lon: 27.494 },
  { name: 'SIZO-1 Minsk', type: 'sizo', region: 'Minsk city', lat: 53.899, lon: 27.547 },
  { name: KGB_SIZO, type: 'sizo', region: 'Minsk city', lat: 53.905, lon: 27.563 },
  { name: 'Prison No. 8 Zhodzina', type: 'prison', region: 'Minsk region', lat: 54.099, lon: 28.332 },
  { name: 'SIZO-2 Vitebsk', type: 'sizo', region: 'Vitebsk region', lat: 55.19, lon: 30.205 },
  { name: 'SIZO-3 Gomel', type: 'sizo', region: 'Gomel region', lat: 52.425, lon: 31.014 },
  { name: 'SIZO-6 Baranovichi', type: 'sizo', region: 'Brest region', lat: 53.132, lon: 26.013 },
  { name: 'SIZO-7 Brest', type: 'sizo', region: 'Brest region', lat: 52.093, lon: 23.685 },
  { name: 'Prison No. 1 Grodno', type: 'prison', region: 'Grodno region', lat: 53.677, lon: 23.829 },
  { name: 'Prison No. 4 Mogilev', type: 'prison', region: 'Mogilev region', lat: 53.894, lon: 30.331 },
  { name: 'Penal Colony No. 1 Novopolotsk', type: 'penal_colony', region: 'Vitebsk region', lat: 55.532, lon: 28.599 },
  { name: 'Penal Colony No. 2 Bobruisk', type: 'penal_colony', region: 'Mogilev region', lat: 53.145, lon: 29.225 },
  { name: 'Penal Colony No. 3 Vitebsk', type: 'penal_colony', region: 'Vitebsk region', lat: 55.19, lon: 30.205 },
  { name: 'Penal Colony No. 4 Gomel', type: 'penal_colony', region: 'Gomel region', lat: 52.425, lon: 31.014 },
  { name: 'Penal Colony No. 9 Gorki', type: 'penal_colony', region: 'Mogilev region', lat: 54.286, lon: 30.992 },
  { name: 'Penal Colony No. 13 Glubokoye', type: 'penal_colony', region: 'Vitebsk region', lat: 55.139, lon: 27.688 },
  { name: 'Penal Colony No. 15 Mogilev', type: 'penal_colony', region: 'Mogilev region', lat: 53.894, lon: 30.331 },
  { name: 'Penal Colony No. 17 Shklov', type: 'penal_colony', region: 'Mogilev region', lat: 54.213, lon: 30.286 },
  { name: 'Penal Colony No. 22 Ivatsevichy', type: 'penal_colony', region: 'Brest region', lat: 52.709, lon: 25.338 },
  { name: 'Penal Colony No. 24 Zarechye', type: 'penal_colony', region: 'Gomel region', lat: 52.362, lon: 30.394 },
];

/** Where people from each region are first held after arrest (weights favour the main SIZO). */
export const PRETRIAL_BY_REGION: Record<Region, readonly string[]> = {
  'Minsk city': ['SIZO-1 Minsk', 'SIZO-1 Minsk', 'SIZO-1 Minsk', 'Prison No. 8 Zhodzina'],
  'Minsk region': ['SIZO-1 Minsk', 'Prison No. 8 Zhodzina', 'Prison No. 8 Zhodzina'],
  'Brest region': ['SIZO-7 Brest', 'SIZO-7 Brest', 'SIZO-6 Baranovichi'],
  'Vitebsk region': ['SIZO-2 Vitebsk'],
  'Gomel region': ['SIZO-3 Gomel'],
  'Grodno region': ['Prison No. 1 Grodno'],
  'Mogilev region': ['Prison No. 4 Mogilev'],
};

export const MEN_COLONIES = [
  'Penal Colony No. 1 Novopolotsk',
  'Penal Colony No. 2 Bobruisk',
  'Penal Colony No. 3 Vitebsk',
  'Penal Colony No. 9 Gorki',
  'Penal Colony No. 13 Glubokoye',
  'Penal Colony No. 15 Mogilev',
  'Penal Colony No. 17 Shklov',
  'Penal Colony No. 22 Ivatsevichy',
] as const;

export const WOMEN_COLONIES = ['Penal Colony No. 4 Gomel', 'Penal Colony No. 4 Gomel', 'Penal Colony No. 24 Zarechye'] as const;

/** Prison-regime sentences, and penalty transfers from colonies, end up in these. */
export const PRISONS = ['Prison No. 1 Grodno', 'Prison No. 4 Mogilev', 'Prison No. 8 Zhodzina'] as const;

export function facilityRows(): FacilityRow[] {
  return FACILITIES.map((facility) => ({
    name: facility.name,
    type: facility.type,
    address: DEMO_ADDRESS,
    region: facility.region,
    lat: facility.lat.toFixed(3),
    lon: facility.lon.toFixed(3),
  }));
}
