export * from '../../src/simulator/scenarios';
export * from '../../src/simulator/captured-calls';
export * from '../../src/simulator/synthesis';
