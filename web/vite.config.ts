// Vite build of the CityOps web app. No React plugin (it is not installable on this Node/npm pair): esbuild's automatic
// JSX runtime compiles .tsx directly. Output goes to web/dist, which the server serves at /.
import { defineConfig, type Plugin } from 'vite';

/**
 * A direct visit to the operations centre (/ops, the wall screen) would otherwise discover its work one step at a
 * time: the app's script, then the session check, then the screen's chunk and MapLibre, then the road network and
 * the sensors. This puts a tiny inline script in index.html's head that, on /ops only, preloads the screen's JavaScript
 * chunks (fetched and compiled while the app's own script is) and, when a session token is there, starts the two big API requests
 * at once; web/src/pages/ops/layers/prefetch.ts picks those up (window.__opsEarly) and falls back to asking itself.
 */
function opsEarlyStart(): Plugin {
  return {
    name: 'cityops-ops-early-start',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []));
        const ops = chunks.find((c) => c.moduleIds.some((id) => id.endsWith('/pages/ops/OpsCentre.tsx')));
        const entry = chunks.find((c) => c.isEntry);
        if (!ops || !entry) return html;
        const closure = (name: string, seen = new Set<string>()): Set<string> => {
          const c = bundle[name];
          if (seen.has(name) || c?.type !== 'chunk') return seen;
          seen.add(name);
          for (const i of c.imports) closure(i, seen);
          return seen;
        };
        const already = closure(entry.fileName);
        const js = [...closure(ops.fileName)].filter((f) => !already.has(f));
        // The session token's key is web/src/auth/AuthContext.tsx's TOKEN_KEY.
        const script = `(function(){if(!/^\\/ops(\\/|$)/.test(location.pathname))return;var h=document.head;`
          + ``
          + `${JSON.stringify(js)}.forEach(function(f){var e=document.createElement('link');e.rel='modulepreload';e.href='/'+f;h.appendChild(e)});`
          + `var t=sessionStorage.getItem('cityops.token');if(!t)return;var o={headers:{accept:'application/json',authorization:'Bearer '+t}};`
          + `function g(p){var r=fetch(p,o);r.catch(function(){});return r}`
          + `window.__opsEarly={roads:g('/api/v1/roads/geojson'),latest:g('/api/v1/latest')}})()`;
        return { html, tags: [{ tag: 'script', children: script, injectTo: 'head' }] };
      },
    },
  };
}

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/',
  esbuild: { jsx: 'automatic' },
  plugins: [opsEarlyStart()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      // Ant Design marks its files "use client" for React Server Components; irrelevant in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      output: {
        // Keep the heavy map and chart libraries in their own chunks so pages that do not use them never load them.
        manualChunks(id: string) {
          if (id.includes('node_modules/maplibre-gl')) return 'maplibre';
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/docs': 'http://127.0.0.1:8080' } },
});
