import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The web app (staff console at /, resident portal at /portal) lives in web/ and builds to web/dist,
// which the server serves. In development the API runs on :8080 and is proxied.
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
