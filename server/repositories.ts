import { kyselyAuditRepository, type AuditRepository } from './audit/repository';
import { kyselyTherapistRepository, type TherapistRepository } from './auth/therapist-repository';
import { kyselyDeviceRepository, type DeviceRepository } from './devices/repository';
import { kyselyPatientRepository, type PatientRepository } from './patients/repository';
import { kyselyFlagRepository, type FlagRepository } from './sessions/flag-repository';
import {
  kyselyPerformanceMapRepository,
  type PerformanceMapRepository,
} from './sessions/performance-map-repository';
import { kyselyRatingRepository, type RatingRepository } from './sessions/rating-repository';
import { kyselyScaleRepository, type ScaleRepository } from './scales/repository';
import { kyselySessionRepository, type SessionRepository } from './sessions/repository';
import type { Db } from './storage/database';

/**
 * Everything routes and socket handlers read and write, one repository per feature. They never
 * see the database: the Kysely implementations below stand behind these interfaces (SQLite or
 * PostgreSQL alike), so tests can wrap or replace them.
 */
export interface Repositories {
  patients: PatientRepository;
  sessions: SessionRepository;
  devices: DeviceRepository;
  therapists: TherapistRepository;
  audit: AuditRepository;
  scales: ScaleRepository;
  ratings: RatingRepository;
  flags: FlagRepository;
  performanceMaps: PerformanceMapRepository;
}

export function kyselyRepositories(db: Db): Repositories {
  return {
    patients: kyselyPatientRepository(db),
    sessions: kyselySessionRepository(db),
    devices: kyselyDeviceRepository(db),
    therapists: kyselyTherapistRepository(db),
    audit: kyselyAuditRepository(db),
    scales: kyselyScaleRepository(db),
    ratings: kyselyRatingRepository(db),
    flags: kyselyFlagRepository(db),
    performanceMaps: kyselyPerformanceMapRepository(db),
  };
}
