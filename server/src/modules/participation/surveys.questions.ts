// Survey questions: their shape, the check of a survey's design, and the server-side check of a
// response (types, required questions, and conditional display: a question shown only when an
// earlier choice question's answer matches must be answered only then). Hand-written: the rules
// depend on other answers, which a JSON schema cannot express.
import { Type, type Static } from '@sinclair/typebox';
import type { FieldError } from '../../kernel/http/errors.js';

export const questionTypes = ['single', 'multiple', 'text', 'textarea', 'rating', 'matrix_single', 'matrix_multiple', 'ranking'] as const;
export type QuestionType = (typeof questionTypes)[number];

const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });

export const QuestionSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$' }),
    type: Type.Union(questionTypes.map((t) => Type.Literal(t))),
    title: Str(300, 1),
    required: Type.Optional(Type.Boolean()),
    options: Type.Optional(Type.Array(Str(100, 1), { maxItems: 30, uniqueItems: true })),
    rows: Type.Optional(Type.Array(Str(100, 1), { maxItems: 30, uniqueItems: true })),
    scale: Type.Optional(Type.Integer({ minimum: 2, maximum: 10 })),
    showIf: Type.Optional(
      Type.Object({ questionId: Str(20, 1), anyOf: Type.Array(Str(100, 1), { minItems: 1, maxItems: 30 }) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export type Question = Static<typeof QuestionSchema>;

const needsOptions: QuestionType[] = ['single', 'multiple', 'matrix_single', 'matrix_multiple', 'ranking'];
const isMatrix = (t: QuestionType) => t === 'matrix_single' || t === 'matrix_multiple';

/** Design errors of a question list (ids unique, options where needed, conditions on earlier choices). */
export function checkQuestions(qs: Question[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, Question>();
  qs.forEach((q, i) => {
    const f = `questions.${i}`;
    if (seen.has(q.id)) errs.push({ field: `${f}.id`, code: 'surveys.bad_question' });
    if (needsOptions.includes(q.type) && (q.options?.length ?? 0) < (q.type === 'single' || q.type === 'ranking' ? 2 : 1))
      errs.push({ field: `${f}.options`, code: 'surveys.bad_question' });
    if (isMatrix(q.type) && !q.rows?.length) errs.push({ field: `${f}.rows`, code: 'surveys.bad_question' });
    if (q.showIf) {
      const ref = seen.get(q.showIf.questionId);
      if (!ref || (ref.type !== 'single' && ref.type !== 'multiple') || q.showIf.anyOf.some((o) => !ref.options?.includes(o))) {
        errs.push({ field: `${f}.showIf`, code: 'surveys.bad_condition' });
      }
    }
    seen.set(q.id, q);
  });
  return errs;
}

const empty = (v: unknown) =>
  v == null || v === '' || (Array.isArray(v) && !v.length) || (typeof v === 'object' && !Array.isArray(v) && !Object.keys(v as object).length);

/** Which questions are shown, given the answers (a condition on a hidden question is false). */
export function visibleQuestions(qs: Question[], answers: Record<string, unknown>): Set<string> {
  const shown = new Set<string>();
  for (const q of qs) {
    if (!q.showIf) {
      shown.add(q.id);
      continue;
    }
    if (!shown.has(q.showIf.questionId)) continue;
    const a = answers[q.showIf.questionId];
    const picked = Array.isArray(a) ? a : a == null ? [] : [a];
    if (picked.some((x) => q.showIf!.anyOf.includes(String(x)))) shown.add(q.id);
  }
  return shown;
}

function checkOne(q: Question, v: unknown): boolean {
  const opts = q.options ?? [];
  const strArr = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');
  switch (q.type) {
    case 'single':
      return typeof v === 'string' && opts.includes(v);
    case 'multiple':
      return strArr(v) && new Set(v).size === v.length && v.every((s) => opts.includes(s));
    case 'text':
      return typeof v === 'string' && v.length <= 200;
    case 'textarea':
      return typeof v === 'string' && v.length <= 2000;
    case 'rating':
      return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= (q.scale ?? 5);
    case 'ranking':
      return strArr(v) && v.length === opts.length && new Set(v).size === v.length && v.every((s) => opts.includes(s));
    case 'matrix_single':
    case 'matrix_multiple': {
      if (typeof v !== 'object' || v == null || Array.isArray(v)) return false;
      return Object.entries(v).every(
        ([row, a]) =>
          q.rows!.includes(row) &&
          (q.type === 'matrix_single'
            ? typeof a === 'string' && opts.includes(a)
            : strArr(a) && a.length > 0 && new Set(a).size === a.length && a.every((s) => opts.includes(s))),
      );
    }
  }
}

/** A response checked against the questions: the stored answers, or the field errors. */
export function checkAnswers(qs: Question[], answers: Record<string, unknown>): { answers: Record<string, unknown>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const out: Record<string, unknown> = {};
  const shown = visibleQuestions(qs, answers);
  const known = new Set(qs.map((q) => q.id));
  for (const key of Object.keys(answers))
    if (!known.has(key)) errors.push({ field: `answers.${key}`, code: 'validation.unknown_field', params: { field: key } });
  for (const q of qs) {
    const v = answers[q.id];
    const f = `answers.${q.id}`;
    if (!shown.has(q.id)) {
      if (!empty(v)) errors.push({ field: f, code: 'surveys.answer_hidden' });
      continue;
    }
    if (empty(v)) {
      if (q.required) errors.push({ field: f, code: 'surveys.answer_required' });
      continue;
    }
    if (!checkOne(q, typeof v === 'string' ? v.trim() || v : v)) errors.push({ field: f, code: 'surveys.answer_invalid' });
    // a required matrix needs every row answered
    else if (q.required && (q.type === 'matrix_single' || q.type === 'matrix_multiple') && Object.keys(v as object).length !== q.rows!.length)
      errors.push({ field: f, code: 'surveys.answer_required' });
    else out[q.id] = typeof v === 'string' ? v.trim() : v;
  }
  return { answers: out, errors };
}
