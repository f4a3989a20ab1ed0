import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The dev server proxies the API, the live socket and health to the real server, so the
// browser sees one origin in dev exactly as in production (the server serves dist/client).
const apiTarget = 'http://localhost:8080'

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [vue()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: true },
      '/socket.io': { target: apiTarget, ws: true, changeOrigin: true },
      '/healthz': { target: apiTarget, changeOrigin: true },
    },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // Vue & co. are grouped first (higher priority): a group also captures what its modules
        // import, so if ECharts went first, vue-echarts would drag Vue into the ECharts chunk and
        // make that whole chunk part of the initial load.
        // ECharts + zrender are most of the bytes and change rarely: their own chunk, loaded
        // only with the first chart (the chart wrapper is an async component), so the
        // initial JS stays small and caches well across app releases.
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|vue-echarts)[\\/]/, priority: 10 },
            { name: 'vendor', test: /node_modules[\\/](@vue|vue|vue-router|socket\.io-client|engine\.io-client|socket\.io-parser|engine\.io-parser|@socket\.io)[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
})
