import { paraglideVitePlugin } from '@inlang/paraglide-js';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// The API and Socket.IO live in the Express server (one process in production, which mounts
// build/handler.js). In development vite serves the app and forwards those paths to it.
const apiTarget = process.env.CREWDECK_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [
    // Compiles messages/{locale}.json into src/lib/paraglide (git-ignored; `npm run i18n` does the
    // same for svelte-check). The locale is the user's choice (localStorage), else the browser's
    // languages, else English; no locale in URLs.
    paraglideVitePlugin({
      project: './project.inlang',
      outdir: './src/lib/paraglide',
      strategy: ['localStorage', 'preferredLanguage', 'baseLocale'],
      emitTsDeclarations: true,
    }),
    sveltekit({
      adapter: adapter({ out: 'build' }),
      csp: {
        mode: 'auto',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          'style-src': ['self', 'unsafe-inline'],
          'img-src': ['self', 'data:'],
          'font-src': ['self'],
          'connect-src': ['self'],
          'object-src': ['none'],
          'base-uri': ['self'],
          'form-action': ['self'],
          'frame-ancestors': ['none'],
        },
      },
    }),
  ],
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/socket.io': { target: apiTarget, ws: true },
    },
  },
});
