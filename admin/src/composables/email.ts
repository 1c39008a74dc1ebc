const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with an email address typed into a form (trimmed), or undefined when it will do. */
export function emailProblem(email: string, maxLength: number): string | undefined {
  const value = email.trim();
  if (!value) return 'Enter an email address.';
  if (value.length > maxLength) return `At most ${maxLength} characters.`;
  return EMAIL.test(value) ? undefined : 'Enter a valid email address.';
}
