import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import { adoptKeyFromUrl, setApiKey } from './auth'
import { onUnauthorized } from './api'
import './styles.css'

// Before the router reads the URL: take #key=… (or an old ?key=…) and strip it from the address bar.
adoptKeyFromUrl()

onUnauthorized(() => {
  setApiKey(null)
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    void router.replace({ name: 'login', query: { reason: 'expired', next: current.fullPath } })
  }
})

createApp(App).use(router).mount('#app')
