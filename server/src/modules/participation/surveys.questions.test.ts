import { describe, expect, it } from 'vitest';
import { checkAnswers, checkQuestions, visibleQuestions, type Question } from './surveys.questions.js';

const qs: Question[] = [
  { id: 'a', type: 'single', title: 'A', required: true, options: ['x', 'y'] },
  { id: 'b', type: 'multiple', title: 'B', options: ['1', '2', '3'], showIf: { questionId: 'a', anyOf: ['x'] } },
  { id: 'c', type: 'text', title: 'C', required: true, showIf: { questionId: 'b', anyOf: ['3'] } },
  { id: 'd', type: 'rating', title: 'D', scale: 3 },
  { id: 'e', type: 'matrix_multiple', title: 'E', required: true, options: ['m', 'n'], rows: ['r1', 'r2'] },
  { id: 'f', type: 'ranking', title: 'F', options: ['p', 'q'] },
];
const base = { a: 'y', e: { r1: ['m'], r2: ['m', 'n'] } };
const fields = (answers: Record<string, unknown>) => checkAnswers(qs, answers).errors.map((e) => `${e.field}:${e.code}`);

describe('survey questions', () => {
  it('shows a question only when its (shown) earlier question matches', () => {
    expect([...visibleQuestions(qs, { a: 'y' })]).toEqual(['a', 'd', 'e', 'f']);
    expect([...visibleQuestions(qs, { a: 'x', b: ['3'] })]).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    // c depends on b, which is hidden when a = y, even if b was sent
    expect(visibleQuestions(qs, { a: 'y', b: ['3'] }).has('c')).toBe(false);
  });

  it('accepts a full valid response and keeps only shown answers', () => {
    expect(checkAnswers(qs, { ...base, d: 3, f: ['q', 'p'] })).toEqual({ answers: { ...base, d: 3, f: ['q', 'p'] }, errors: [] });
    expect(fields({ a: 'x', b: ['3'], c: ' 好 ', e: base.e })).toEqual([]);
    expect(checkAnswers(qs, { a: 'x', b: ['3'], c: ' 好 ', e: base.e }).answers.c).toBe('好');
  });

  it('refuses what does not fit each type', () => {
    expect(fields({ ...base, a: 'z' })).toEqual(['answers.a:surveys.answer_invalid']);
    expect(fields({ ...base, d: 4 })).toEqual(['answers.d:surveys.answer_invalid']);
    expect(fields({ ...base, d: 2.5 })).toEqual(['answers.d:surveys.answer_invalid']);
    expect(fields({ ...base, f: ['p'] })).toEqual(['answers.f:surveys.answer_invalid']);
    expect(fields({ ...base, f: ['p', 'p'] })).toEqual(['answers.f:surveys.answer_invalid']);
    expect(fields({ ...base, e: { r1: ['m'], r9: ['m'] } })).toEqual(['answers.e:surveys.answer_invalid']);
    expect(fields({ ...base, e: { r1: ['m'] } })).toEqual(['answers.e:surveys.answer_required']);
    expect(fields({ ...base, zz: 1 })).toEqual(['answers.zz:validation.unknown_field']);
    expect(fields({ a: 'x', b: ['1', '1'], e: base.e })).toEqual(['answers.b:surveys.answer_invalid']);
  });

  it('requires shown required questions and refuses answers to hidden ones', () => {
    expect(fields({ e: base.e })).toEqual(['answers.a:surveys.answer_required']);
    expect(fields({ a: 'x', b: ['3'], e: base.e })).toEqual(['answers.c:surveys.answer_required']);
    expect(fields({ ...base, b: ['1'] })).toEqual(['answers.b:surveys.answer_hidden']);
  });

  it('checks the design: unique ids, options, conditions on earlier choice questions', () => {
    expect(checkQuestions(qs)).toEqual([]);
    const bad: Question[] = [
      { id: 'a', type: 'single', title: 'A', options: ['x'] },
      { id: 'a', type: 'text', title: 'B' },
      { id: 'm', type: 'matrix_single', title: 'M', options: ['1'] },
      { id: 'z', type: 'text', title: 'Z', showIf: { questionId: 'a', anyOf: ['nope'] } },
    ];
    expect(checkQuestions(bad).map((e) => e.field)).toEqual(['questions.0.options', 'questions.1.id', 'questions.2.rows', 'questions.3.showIf']);
  });
});
