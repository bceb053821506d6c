// Every migration, in the order it runs. Listed by hand (no glob) so the order is explicit.
import { CreateCoreSchema1795694000000 } from './1795694000000-CreateCoreSchema';

export const migrations = [CreateCoreSchema1795694000000];
