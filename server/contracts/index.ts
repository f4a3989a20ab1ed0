export * from './enums.js'
export * from './events.js'
export * from './decision.js'
export * from './weights.js'
