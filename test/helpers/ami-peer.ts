export * from '../../src/simulator/ami-peer';
