import './boot';

// The app loads after the boot data is set: @grafana/runtime reads it once, when its shared chunk first runs.
import('./app');
