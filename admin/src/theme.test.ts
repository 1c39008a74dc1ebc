import { describe, expect, it } from 'vitest';
import { KindredTheme } from './theme';

/**
 * WCAG AA for the theme's tags and messages, whatever screen shows them: every severity's text
 * against its own background at 4.5:1 or more (tag labels are 14 px bold and message texts 16 px
 * medium, neither is "large text"). The browser tests run axe on the screens they visit; this
 * covers the severities no screen happens to show.
 */
type Palette = Record<string, string>;
const theme = KindredTheme as unknown as {
  primitive: Record<string, Palette>;
  semantic: { primary: Palette; colorScheme: { light: { surface: Palette } } };
  components: Record<'tag' | 'message', { colorScheme: { light: Record<string, { color: string; background: string }> } }>;
};

/** `{red.700}` → `#b91c1c`, through the primary and surface aliases. */
function resolve(token: string): string {
  const match = /^\{(\w+)\.(\d+)\}$/.exec(token);
  if (!match) return token;
  const [, palette, shade] = match as unknown as [string, string, string];
  const source =
    palette === 'primary'
      ? theme.semantic.primary
      : palette === 'surface'
        ? theme.semantic.colorScheme.light.surface
        : theme.primitive[palette];
  const value = source?.[shade];
  if (!value) throw new Error(`unknown colour token ${token}`);
  return resolve(value);
}

/** The page behind a message: its slightly translucent tint is mixed with it (the darkest surface the app puts messages on). */
const PAGE = () => resolve('{surface.50}');

/** A token, or `color-mix(in srgb, {token}, transparent N%)` painted over the page, as one opaque colour. */
function paint(value: string): string {
  const mix = /^color-mix\(in srgb,\s*(\{[\w.]+\}),\s*transparent (\d+)%\)$/.exec(value);
  if (!mix) return resolve(value);
  const alpha = 1 - Number(mix[2]) / 100;
  const [top, under] = [resolve(mix[1]!), PAGE()];
  const channel = (hex: string, i: number) => Number.parseInt(hex.slice(i, i + 2), 16);
  return `#${[1, 3, 5]
    .map((i) => Math.round(alpha * channel(top, i) + (1 - alpha) * channel(under, i)))
    .map((c) => c.toString(16).padStart(2, '0'))
    .join('')}`;
}

function luminance(hex: string): number {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) throw new Error(`not a plain colour: ${hex}`);
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

describe('theme contrast', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it.each(Object.entries(theme.components.tag.colorScheme.light))('gives the %s tag a label of at least 4.5:1', (_severity, colours) => {
    expect(contrast(paint(colours.color), paint(colours.background))).toBeGreaterThanOrEqual(4.5);
  });

  it.each(Object.entries(theme.components.message.colorScheme.light))(
    'gives the %s message a text of at least 4.5:1',
    (_severity, colours) => {
      expect(contrast(paint(colours.color), paint(colours.background))).toBeGreaterThanOrEqual(4.5);
    },
  );
});
