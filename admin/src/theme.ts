import { definePreset } from '@primeuix/themes';
import Aura from '@primeuix/themes/aura';

/**
 * Aura with Kindred's contrast fixes: every text and control meets WCAG AA (4.5:1). Aura's
 * primary (emerald 500) under white text is about 2.5:1, so the primary is emerald 700; danger
 * buttons use red 700 rather than 500; toggle button labels on their grey track move from
 * surface 500 to 600; message texts (Aura's 600 shades on their 50 tints: yellow 2.8:1, green
 * 3.2:1, red 4.4:1) move to red and blue 700, green and yellow 800. theme.test.ts checks tags and
 * messages.
 */
export const KindredTheme = definePreset(Aura, {
  semantic: {
    colorScheme: {
      light: {
        primary: {
          color: '{primary.700}',
          contrastColor: '#ffffff',
          hoverColor: '{primary.800}',
          activeColor: '{primary.900}',
        },
        highlight: {
          background: '{primary.50}',
          focusBackground: '{primary.100}',
          color: '{primary.800}',
          focusColor: '{primary.900}',
        },
      },
    },
  },
  components: {
    button: {
      colorScheme: {
        light: {
          root: {
            danger: {
              background: '{red.700}',
              hoverBackground: '{red.800}',
              activeBackground: '{red.900}',
              borderColor: '{red.700}',
              hoverBorderColor: '{red.800}',
              activeBorderColor: '{red.900}',
              focusRing: { color: '{red.700}' },
            },
          },
          outlined: { danger: { borderColor: '{red.300}', color: '{red.700}' } },
          text: { danger: { color: '{red.700}' } },
        },
      },
    },
    message: {
      colorScheme: {
        light: {
          info: { color: '{blue.700}' },
          success: { color: '{green.800}' },
          warn: { color: '{yellow.800}' },
          error: { color: '{red.700}' },
        },
      },
    },
    togglebutton: {
      colorScheme: {
        light: {
          root: { color: '{surface.600}' },
          icon: { color: '{surface.600}' },
        },
      },
    },
  },
});
