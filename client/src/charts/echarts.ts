// The one place ECharts modules are registered (CONVENTIONS #12): only what the views use,
// so tree-shaking keeps the chart chunk small.
import { use } from 'echarts/core'
import { BarChart, LineChart, SankeyChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent, DatasetComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, LineChart, SankeyChart, GridComponent, LegendComponent, TooltipComponent, DatasetComponent, CanvasRenderer])
