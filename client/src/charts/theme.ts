// Shared look of every chart: palette, text, grid. Plain data, no ECharts import, so the
// option builders stay pure and testable in node.
export const palette = ['#2f6fc4', '#e08a2c', '#2a9d6f', '#8a63d2', '#d64550', '#3fa7b5', '#b58b00', '#6b7a90', '#c05fa0', '#5a8f29']
export const colors = { before: '#9aa8ba', after: '#2f6fc4', sku: '#d64550', category: '#6b7a90', good: '#1a7f4b', bad: '#b42318' }

export const textStyle = { fontFamily: 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif', color: '#475467' }
export const axisLine = { lineStyle: { color: '#d0d7e2' } }
export const splitLine = { lineStyle: { color: '#eef1f5' } }
export const grid = { left: 8, right: 16, top: 28, bottom: 8, containLabel: true }

export const tooltip = { trigger: 'axis' as const, confine: true, backgroundColor: 'rgba(23,32,44,.92)', borderWidth: 0, textStyle: { color: '#fff', fontSize: 12 } }
export const itemTooltip = { ...tooltip, trigger: 'item' as const }

export type Fmt = (v: number) => string
export const plain: Fmt = (v) => String(v)
