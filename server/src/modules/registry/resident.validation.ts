// Field rules for a resident, shared by the API and the bulk import. Each failure names the field.
import type { FieldError } from '../../kernel/http/errors.js';
import { validateMainlandId, normaliseIdNumber } from './standard/id-number.js';
import { normalisePhone, isMainlandMobile } from './standard/phone.js';
import { idTypes, genders, ethnicities, relations, residentRoles, residentTags, isCode } from './standard/codes.js';

export interface ResidentInput {
  name?: string;
  idType?: string;
  idNumber?: string;
  gender?: string;
  birthDate?: string | null;
  ethnicity?: string | null;
  phone?: string | null;
  tags?: string[];
  note?: string | null;
}

export interface CleanResident {
  name: string;
  idType: string;
  idNumber: string;
  gender: string;
  birthDate: string | null;
  ethnicity: string | null;
  phone: string | null;
  tags: string[];
  note: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function checkDate(field: string, v: string | null | undefined, today: string, errors: FieldError[]): void {
  if (v == null || v === '') return;
  if (!DATE.test(v) || Number.isNaN(Date.parse(v + 'T00:00:00Z')) || new Date(v + 'T00:00:00Z').toISOString().slice(0, 10) !== v) {
    errors.push({ field, code: 'registry.date_invalid' });
  } else if (v > today) errors.push({ field, code: 'registry.date_future' });
}

export function checkCode(field: string, list: readonly { code: string }[], v: string | null | undefined, errors: FieldError[]): void {
  if (v == null || v === '') return;
  if (!isCode(list, v)) errors.push({ field, code: 'registry.code_unknown', params: { value: v } });
}

const idReason: Record<string, string> = {
  length: 'registry.id_length',
  chars: 'registry.id_chars',
  checksum: 'registry.id_checksum',
  birth_date: 'registry.id_birth_date',
  division: 'registry.id_division',
};

/**
 * Validate and normalise a full resident (create) or the given fields (update: `partial`).
 * Mainland ID numbers are checked by GB 11643; gender and birth date are derived from them
 * and must agree with what was entered.
 */
export function validateResident(input: ResidentInput, today: string, partial = false): { value: Partial<CleanResident>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const out: Partial<CleanResident> = {};
  const has = (k: keyof ResidentInput) => input[k] !== undefined;

  if (!partial || has('name')) {
    const name = (input.name ?? '').trim().replace(/\s+/g, ' ');
    if (!name) errors.push({ field: 'name', code: 'validation.required' });
    else if (name.length > 50) errors.push({ field: 'name', code: 'validation.max_length', params: { limit: 50 } });
    out.name = name;
  }
  if (has('gender') && input.gender) checkCode('gender', genders, input.gender, errors);
  checkDate('birthDate', input.birthDate, today, errors);
  checkCode('ethnicity', ethnicities, input.ethnicity, errors);
  if (has('ethnicity')) out.ethnicity = input.ethnicity || null;
  if (has('gender') && input.gender) out.gender = input.gender;
  if (has('birthDate')) out.birthDate = input.birthDate || null;

  if (!partial) {
    const idType = input.idType || '01';
    checkCode('idType', idTypes, idType, errors);
    out.idType = idType;
    const raw = input.idNumber ?? '';
    if (!raw.trim()) errors.push({ field: 'idNumber', code: 'validation.required' });
    else if (idType === '01') {
      const r = validateMainlandId(raw, today);
      if (!r.ok) errors.push({ field: 'idNumber', code: idReason[r.reason] ?? 'registry.id_invalid' });
      else {
        out.idNumber = r.value;
        if (input.gender && input.gender !== r.gender) errors.push({ field: 'gender', code: 'registry.gender_mismatch' });
        if (input.birthDate && input.birthDate !== r.birthDate) errors.push({ field: 'birthDate', code: 'registry.birth_mismatch' });
        out.gender = r.gender;
        out.birthDate = r.birthDate;
      }
    } else {
      const v = normaliseIdNumber(raw);
      if (!/^[A-Z0-9()（）-]{5,30}$/.test(v)) errors.push({ field: 'idNumber', code: 'registry.id_invalid' });
      out.idNumber = v;
      if (!input.gender) errors.push({ field: 'gender', code: 'registry.gender_required' });
    }
  }

  if (has('phone')) {
    if (input.phone == null || input.phone === '') out.phone = null;
    else {
      const p = normalisePhone(input.phone);
      if (!isMainlandMobile(p)) errors.push({ field: 'phone', code: 'registry.phone_invalid' });
      out.phone = p;
    }
  } else if (!partial) out.phone = null;

  if (has('tags') || !partial) {
    const tags = [...new Set(input.tags ?? [])];
    for (const t of tags) checkCode('tags', residentTags, t, errors);
    // derived tags (elderly, child) come from the birth date, never from input
    out.tags = tags.filter((t) => !residentTags.find((x) => x.code === t)?.derived);
  }
  if (has('note') || !partial) {
    const note = (input.note ?? '').trim();
    if (note.length > 500) errors.push({ field: 'note', code: 'validation.max_length', params: { limit: 500 } });
    out.note = note || null;
  }
  return { value: out, errors };
}

export function validateResidency(input: { role?: string; relation?: string | null; moveIn?: string }, today: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.role) errors.push({ field: 'role', code: 'validation.required' });
  else checkCode('role', residentRoles, input.role, errors);
  checkCode('relation', relations, input.relation, errors);
  if (!input.moveIn) errors.push({ field: 'moveIn', code: 'validation.required' });
  else checkDate('moveIn', input.moveIn, today, errors);
  return errors;
}
