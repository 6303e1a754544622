export { LabTracker, type TopologyChange, type TrackerOptions } from './tracker';
