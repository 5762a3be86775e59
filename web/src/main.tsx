import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { unstableSetRender as setAntdRender } from 'antd';
import { unstableSetRender as setMobileRender } from 'antd-mobile';
import './shared/i18n';
import { applyElderModeAtStart } from './portal/elder';
import { App } from './app/App';
import './app/global.css';

// antd 5 and antd-mobile 5 render their static popups (message, Modal.confirm, Toast)
// with the React 17 API by default; React 19 removed it, so give them createRoot.
type WithRoot = (Element | DocumentFragment) & { _linliRoot?: Root };
const render = (node: React.ReactElement, container: Element | DocumentFragment) => {
  const c = container as WithRoot;
  c._linliRoot ??= createRoot(c);
  const root = c._linliRoot;
  root.render(node);
  return async () => {
    await new Promise((r) => setTimeout(r, 0));
    root.unmount();
    delete c._linliRoot;
  };
};
setAntdRender(render);
setMobileRender(render);

applyElderModeAtStart();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
