// The demo data and the simulator draw from the same seeded generator.
export { mulberry32 } from '../../sim/random.js'
