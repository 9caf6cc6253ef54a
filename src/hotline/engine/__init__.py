"""hotline.engine"""
