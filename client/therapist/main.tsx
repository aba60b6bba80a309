import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'uplot/dist/uPlot.min.css';
import { App } from './App';
import { exposeDashboardHandle } from './live/mirror-handle';
import { createServices, ServicesContext } from './services';

const services = createServices(window.sessionStorage);
exposeDashboardHandle(services);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ServicesContext value={services}>
      <App />
    </ServicesContext>
  </StrictMode>,
);
