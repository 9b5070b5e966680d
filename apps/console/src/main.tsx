import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import './contrast.css';
import './i18n';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createTheme, MantineProvider, Modal } from '@mantine/core';
import { App } from './app';
import { memoryColorSchemeManager } from './color-scheme';

// A modal locks the page's scrolling with a <style> element of react-remove-scroll, which the
// Content-Security-Policy refuses: the overlay alone keeps the page behind it out of reach.
// respectReducedMotion: no transitions for a reader who asks the system for less motion.
const theme = createTheme({
  respectReducedMotion: true,
  components: { Modal: Modal.extend({ defaultProps: { lockScroll: false } }) },
});

// The gateway's Content-Security-Policy allows styles only from the console's own CSS file. The
// default theme's variables are in it, so Mantine need not write them into a <style> element; nor
// its global classes (for hiddenFrom and visibleFrom, which the console does not use).
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider
      theme={theme}
      withCssVariables={false}
      withGlobalClasses={false}
      colorSchemeManager={memoryColorSchemeManager()}
    >
      <App />
    </MantineProvider>
  </StrictMode>,
);
