/** Which kinds of place may sit under a place of the given kind (undefined = a root). */
export function childKinds(parentKind: string | undefined): string[] {
  switch (parentKind) {
    case undefined:
      return ['region'];
    case 'region':
      return ['region', 'community'];
    case 'community':
      return ['estate', 'building'];
    case 'estate':
      return ['building'];
    case 'building':
      return ['unit', 'house'];
    case 'unit':
      return ['house'];
    default:
      return [];
  }
}
