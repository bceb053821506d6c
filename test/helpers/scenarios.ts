export * from '../../src/simulator/scenarios';
