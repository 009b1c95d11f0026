"""重点项目调度平台 (keyprojects)."""
