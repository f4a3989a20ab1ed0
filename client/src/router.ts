import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { apiKey, setApiKey, takeKeyFromUrl } from './auth'
import OverviewView from './views/OverviewView.vue'

// Overview is the landing page and stays in the main chunk; the rest load on demand.
const routes: RouteRecordRaw[] = [
  { path: '/', name: 'overview', component: OverviewView },
  { path: '/skus', name: 'skus', component: () => import('./views/SkusView.vue') },
  { path: '/skus/:sku', name: 'sku', component: () => import('./views/SkuView.vue'), props: true },
  { path: '/backtest', name: 'backtest', component: () => import('./views/BacktestView.vue') },
  { path: '/routing', name: 'routing', component: () => import('./views/RoutingView.vue') },
  { path: '/work/:role?', name: 'work', component: () => import('./views/WorkView.vue'), props: true },
  { path: '/capacity', name: 'capacity', component: () => import('./views/CapacityView.vue') },
  { path: '/returns/:rmaId', name: 'return', component: () => import('./views/ReturnView.vue'), props: true },
  // Customers: no key, no top navigation.
  { path: '/track/:token', name: 'track', component: () => import('./views/TrackView.vue'), props: true, meta: { public: true, bare: true } },
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, bare: true } },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach((to) => {
  // A ready URL carries the key (`#key=…`, or `?key=…` from older versions): keep the
  // key, drop it from the address. (main.ts strips it too, before the router starts.)
  if ((typeof to.query.key === 'string' && to.query.key) || /(^#|&)key=/.test(to.hash)) {
    const { key, rest } = takeKeyFromUrl(new URL(to.fullPath, window.location.origin).href)
    if (key) setApiKey(key)
    // A string location keeps the rest's query (?range=…) and hash; { path: rest } lost them.
    const { path, query, hash } = router.resolve(rest)
    return { path, query, hash, replace: true }
  }
  if (to.meta.public || apiKey.value) return true
  return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
})
